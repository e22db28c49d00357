using System.CommandLine;

namespace InMood.Cli.Commands;

/// <summary>Checks shared by the commands that take any number of file paths as arguments.</summary>
internal static class PathArguments
{
    /// <summary>
    /// Makes a value that starts with '-' (other than "-" itself, stdin) a parse error naming it as an unknown option.
    /// </summary>
    public static Argument<string[]> RejectingOptionLikeValues(this Argument<string[]> argument)
    {
        // NOTE: an argument of any count takes tokens that look like options, so a mistyped option ("--formt") would
        // otherwise be read as a file that does not exist; as in coreutils, a file named "-x" is given as ./-x.
        argument.Validators.Add(result =>
        {
            foreach (string value in result.GetValueOrDefault<string[]>() ?? [])
            {
                if (value.Length > 1 && value[0] == '-')
                {
                    result.AddError($"Unrecognized option '{value}' (a file whose name starts with '-' is given as ./{value}).");
                }
            }
        });
        return argument;
    }
}
