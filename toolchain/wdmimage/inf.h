/* A driver package's INF, stamped and checked: `wdmimage inf` (inf.c). */
#ifndef WDMIMAGE_INF_H
#define WDMIMAGE_INF_H

/*   wdmimage inf stamp <in.inx> -o <out.inf> --version <a.b.c.d> --date <MM/DD/YYYY>
 *                      --image <name.sys> --catalog <name.cat>
 *   wdmimage inf check <file.inf> --image <name.sys> --catalog <name.cat>
 * stamp: DriverVer = date,version in [Version] (replaced or added), $ARCH$ -> amd64, then the
 * checks. Each problem is printed as <file>:<line>: <what>. Exit status: 0 none, 1 some (the
 * stamped output is then removed), 2 usage or I/O error. argv[0] is "stamp" or "check". */
int inf_main(int argc, char **argv);

#endif
