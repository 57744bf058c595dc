/* A driver package's catalog, unsigned: `wdmimage catalog` (catalog.c). */
#ifndef WDMIMAGE_CATALOG_H
#define WDMIMAGE_CATALOG_H

/*   wdmimage catalog -o <unsigned.cat> [--date <YYMMDDhhmmssZ>] <file>...
 * Writes the catalog of the files (a .sys/.dll/.exe by its Authenticode hash, any other file by
 * the hash of its bytes, both SHA-256) as a PKCS#7 SignedData with no signer, for osslsigncode
 * to sign; prints "<hash> <pe|flat> <name>" per file. The date defaults to SOURCE_DATE_EPOCH, else
 * now. Exit status: 0 written, 2 usage or I/O error. argv[0] is the first argument after
 * "catalog". */
int catalog_main(int argc, char **argv);

#endif
