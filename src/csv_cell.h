/* Writing CSV cells for people who open them in a spreadsheet, and reading
 * them back (exports, import reject files).
 *
 * A spreadsheet runs a cell that starts with = + - @ TAB or CR as a formula.
 * rk_csv_cell puts one apostrophe in front of such a cell, and also in front
 * of a cell whose leading apostrophes are followed by one of those
 * characters; rk_csv_unneutralise removes exactly that one apostrophe again.
 * So "+358401234567" is written "'+358401234567" and imports as
 * "+358401234567", and a value that really began "'=" keeps its apostrophe
 * through the round trip. */
#ifndef RK_CSV_CELL_H
#define RK_CSV_CELL_H

#include <stdio.h>

#include "common.h"

/* Writes one RFC 4180 cell through libcsv (with the delimiter before it
 * when not first), neutralised as above. */
int  rk_csv_cell_delim(FILE *out, const char *value, bool first, char delim);
/* The same with ',' as the delimiter. */
int  rk_csv_cell(FILE *out, const char *value, bool first);
/* Is this value one that rk_csv_cell prefixes? */
bool rk_csv_needs_neutralising(const char *value);
/* Undoes rk_csv_cell's prefix in place (an imported cell). */
void rk_csv_unneutralise(char *value);

#endif
