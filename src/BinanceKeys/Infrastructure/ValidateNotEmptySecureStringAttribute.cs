using System.Management.Automation;
using System.Security;

namespace BinanceKeys.Commands.Infrastructure
{
    /// <summary>
    /// Refuses an empty SecureString at parameter binding, before anything runs: an empty passphrase would write a private
    /// key unencrypted or a vault no one needs to guess, and an empty secret signs nothing Binance accepts. PowerShell's
    /// own validation attributes do not look inside a SecureString, and a prompt for a mandatory SecureString answered
    /// with Enter yields an empty one.
    /// </summary>
    public sealed class ValidateNotEmptySecureStringAttribute : ValidateArgumentsAttribute
    {
        /// <summary>Creates the attribute; <paramref name="hint"/> ends the error message (what to do instead).</summary>
        public ValidateNotEmptySecureStringAttribute(string hint = "")
        {
            Hint = hint;
        }

        /// <summary>What to do instead, appended to the message.</summary>
        public string Hint { get; }

        /// <inheritdoc />
        protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
        {
            object? value = arguments is PSObject wrapped ? wrapped.BaseObject : arguments;
            if (value is SecureString secure && secure.Length == 0)
            {
                throw new ValidationMetadataException(("The value is empty; an empty passphrase or secret is never accepted. " + Hint).Trim());
            }
        }
    }
}
