using System.Collections.Generic;
using BinanceKeys.State;

namespace BinanceKeys.Policy
{
    /// <summary>
    /// Permissions as bits of an int (eleven permissions): the rules and the planner test and compare permission sets for
    /// every key of estates with tens of thousands of keys, so sets are compared without allocating one.
    /// </summary>
    public static class PermissionMask
    {
        /// <summary>The bit of one permission.</summary>
        public static int Of(ApiKeyPermission permission) => 1 << (int)permission;

        /// <summary>The bits of a list of permissions (duplicates count once).</summary>
        public static int Of(IEnumerable<ApiKeyPermission> permissions)
        {
            int mask = 0;
            foreach (var permission in permissions) mask |= Of(permission);
            return mask;
        }

        /// <summary>The bits of a file's permission list.</summary>
        public static int Of(List<Located<ApiKeyPermission>> permissions)
        {
            int mask = 0;
            foreach (var permission in permissions) mask |= Of(permission.Value);
            return mask;
        }

        /// <summary>Whether <paramref name="mask"/> holds <paramref name="permission"/>.</summary>
        public static bool Has(int mask, ApiKeyPermission permission) => (mask & Of(permission)) != 0;

        /// <summary>The permissions of a mask, in enum order.</summary>
        public static List<ApiKeyPermission> ToList(int mask)
        {
            var list = new List<ApiKeyPermission>();
            for (int bit = 0; bit < 31; bit++)
            {
                if ((mask & (1 << bit)) != 0) list.Add((ApiKeyPermission)bit);
            }
            return list;
        }
    }
}
