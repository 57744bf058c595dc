/* Who may read a driver's saved values (the runtime's MinwdmSaved key): saved_access <service>
 * opens the service key and its MinwdmSaved subkey as this process is (an administrator), then
 * again impersonating a restricted copy of its token, where Administrators is a deny-only group
 * (a standard user's view). Exit 0 when the administrator reads both, the restricted token the
 * service key but not the saved values; prints what happened either way. */
#include <stdio.h>
#include <windows.h>

#include <minwdm/control.h>

static LONG open_key(const WCHAR *service, const WCHAR *subkey, HKEY *key)
{
    WCHAR path[512];

    _snwprintf(path, 512, L"SYSTEM\\CurrentControlSet\\Services\\%ls%ls%ls", service,
               subkey ? L"\\" : L"", subkey ? subkey : L"");
    path[511] = 0;
    return RegOpenKeyExW(HKEY_LOCAL_MACHINE, path, 0, KEY_QUERY_VALUE, key);
}

static int check(const char *what, LONG got, LONG want)
{
    printf("%s %s: error %ld (expected %ld)\n", got == want ? "ok" : "FAIL", what, got, want);
    return got == want;
}

int wmain(int argc, WCHAR **argv)
{
    SID_IDENTIFIER_AUTHORITY nt = {SECURITY_NT_AUTHORITY};
    SID_AND_ATTRIBUTES disabled = {0};
    HANDLE token, restricted;
    HKEY key;
    LONG error;
    int ok = 1;

    if (argc != 2) {
        fputs("usage: saved_access <service>\n", stderr);
        return 2;
    }
    error = open_key(argv[1], MINWDM_SAVED_SUBKEY, &key);
    ok &= check("the administrator reads the saved values", error, ERROR_SUCCESS);
    if (!error)
        RegCloseKey(key);
    if (!AllocateAndInitializeSid(&nt, 2, SECURITY_BUILTIN_DOMAIN_RID, DOMAIN_ALIAS_RID_ADMINS, 0,
                                  0, 0, 0, 0, 0, &disabled.Sid) ||
        !OpenProcessToken(GetCurrentProcess(), TOKEN_ALL_ACCESS, &token) ||
        !CreateRestrictedToken(token, DISABLE_MAX_PRIVILEGE, 1, &disabled, 0, NULL, 0, NULL,
                               &restricted) ||
        !ImpersonateLoggedOnUser(restricted)) {
        printf("FAIL a restricted token: error %lu\n", GetLastError());
        return 1;
    }
    error = open_key(argv[1], NULL, &key);
    ok &= check("a standard user reads the service key", error, ERROR_SUCCESS);
    if (!error)
        RegCloseKey(key);
    error = open_key(argv[1], MINWDM_SAVED_SUBKEY, &key);
    ok &= check("a standard user cannot read the saved values", error, ERROR_ACCESS_DENIED);
    if (!error)
        RegCloseKey(key);
    RevertToSelf();
    return ok ? 0 : 1;
}
