using System.Text.Json;

namespace InMood.Cli.Tests.Classification;

/// <summary>
/// Checks a JSON value against the subset of JSON Schema that docs/output.schema.json uses: "type" (a name or
/// a list), "required", "properties", "additionalProperties": false, "items", "enum", "minimum", "maximum",
/// "oneOf" and "$ref" to "#/$defs/NAME". Returns every violation with its JSON path; none means valid. A schema
/// keyword outside that subset throws, so the schema cannot grow a rule this checker silently skips.
/// </summary>
internal static class JsonSchemaChecker
{
    private static readonly HashSet<string> s_keywords =
    [
        "$schema", "$id", "$defs", "$ref", "title", "description", "type", "required", "properties",
        "additionalProperties", "items", "enum", "minimum", "maximum", "oneOf",
    ];

    public static List<string> Check(JsonElement schemaRoot, JsonElement value)
    {
        var problems = new List<string>();
        Check(schemaRoot, schemaRoot, value, "$", problems);
        return problems;
    }

    private static void Check(JsonElement root, JsonElement schema, JsonElement value, string path, List<string> problems)
    {
        foreach (JsonProperty keyword in schema.EnumerateObject())
        {
            if (!s_keywords.Contains(keyword.Name))
            {
                throw new NotSupportedException($"schema keyword \"{keyword.Name}\" at {path} is not checked");
            }
        }

        if (schema.TryGetProperty("oneOf", out JsonElement branches))
        {
            List<string>[] branchProblems = [.. branches.EnumerateArray().Select(branch =>
            {
                var found = new List<string>();
                Check(root, branch, value, path, found);
                return found;
            })];
            int matching = branchProblems.Count(found => found.Count == 0);
            if (matching != 1)
            {
                problems.Add($"{path}: matches {matching} of the {branchProblems.Length} oneOf branches, not exactly 1");
                problems.AddRange(branchProblems.SelectMany(found => found));
            }
        }

        if (schema.TryGetProperty("$ref", out JsonElement reference))
        {
            string name = reference.GetString()!["#/$defs/".Length..];
            Check(root, root.GetProperty("$defs").GetProperty(name), value, path, problems);
            return;
        }

        if (schema.TryGetProperty("type", out JsonElement type))
        {
            string[] types = type.ValueKind == JsonValueKind.Array ? [.. type.EnumerateArray().Select(t => t.GetString()!)] : [type.GetString()!];
            if (!types.Any(t => Is(value, t)))
            {
                problems.Add($"{path}: expected {string.Join(" or ", types)}, got {value.ValueKind}");
                return;
            }
        }

        if (schema.TryGetProperty("enum", out JsonElement choices) && !choices.EnumerateArray().Any(c => c.GetRawText() == value.GetRawText()))
        {
            problems.Add($"{path}: {value.GetRawText()} is not one of {choices.GetRawText()}");
        }

        if (value.ValueKind == JsonValueKind.Number)
        {
            double number = value.GetDouble();
            if (schema.TryGetProperty("minimum", out JsonElement minimum) && number < minimum.GetDouble())
            {
                problems.Add($"{path}: {number} is below {minimum.GetDouble()}");
            }

            if (schema.TryGetProperty("maximum", out JsonElement maximum) && number > maximum.GetDouble())
            {
                problems.Add($"{path}: {number} is above {maximum.GetDouble()}");
            }
        }

        if (value.ValueKind == JsonValueKind.Object)
        {
            if (schema.TryGetProperty("required", out JsonElement required))
            {
                foreach (JsonElement name in required.EnumerateArray())
                {
                    if (!value.TryGetProperty(name.GetString()!, out _))
                    {
                        problems.Add($"{path}: missing required \"{name.GetString()}\"");
                    }
                }
            }

            schema.TryGetProperty("properties", out JsonElement properties);
            bool closed = schema.TryGetProperty("additionalProperties", out JsonElement additional) && additional.ValueKind == JsonValueKind.False;
            foreach (JsonProperty property in value.EnumerateObject())
            {
                if (properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(property.Name, out JsonElement propertySchema))
                {
                    Check(root, propertySchema, property.Value, $"{path}.{property.Name}", problems);
                }
                else if (closed)
                {
                    problems.Add($"{path}: unexpected property \"{property.Name}\"");
                }
            }
        }

        if (value.ValueKind == JsonValueKind.Array && schema.TryGetProperty("items", out JsonElement items))
        {
            int index = 0;
            foreach (JsonElement item in value.EnumerateArray())
            {
                Check(root, items, item, $"{path}[{index++}]", problems);
            }
        }
    }

    private static bool Is(JsonElement value, string type) => type switch
    {
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        "string" => value.ValueKind == JsonValueKind.String,
        "number" => value.ValueKind == JsonValueKind.Number,
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "null" => value.ValueKind == JsonValueKind.Null,
        _ => throw new ArgumentException($"schema type \"{type}\" is not supported by this checker"),
    };
}
