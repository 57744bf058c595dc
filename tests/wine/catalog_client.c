/*
 * Reads a catalog with Windows' own catalog API, as Wine implements it (wintrust's CryptCATOpen
 * and CryptCATEnumerateMember): a parser the kit did not write. Prints one line per member:
 *   member <reference tag> <subject interface GUID> <digest algorithm OID> <data type OID>
 * then "members <n>". Exit status: 0 read, 1 the catalog could not be opened or read.
 *   catalog_client.exe <file.cat>
 */
#include <windows.h>

#include <mscat.h>
#include <stdio.h>
#include <wintrust.h>

int wmain(int argc, WCHAR **argv)
{
    CRYPTCATMEMBER *member = NULL;
    HANDLE catalog;
    unsigned count = 0;

    if (argc != 2) {
        fprintf(stderr, "usage: catalog_client <file.cat>\n");
        return 1;
    }
    catalog = CryptCATOpen(argv[1], CRYPTCAT_OPEN_EXISTING, 0, 0, 0);
    if (catalog == INVALID_HANDLE_VALUE) {
        fprintf(stderr, "catalog_client: CryptCATOpen failed: error %lu\n", GetLastError());
        return 1;
    }
    while ((member = CryptCATEnumerateMember(catalog, member)) != NULL) {
        WCHAR guid[40];
        SIP_INDIRECT_DATA *data = member->pIndirectData;
        StringFromGUID2(&member->gSubjectType, guid, 40);
        printf("member %ls %ls %s %s\n", member->pwszReferenceTag, guid,
               data ? data->DigestAlgorithm.pszObjId : "-", data ? data->Data.pszObjId : "-");
        count++;
    }
    printf("members %u\n", count);
    CryptCATClose(catalog);
    return count ? 0 : 1;
}
