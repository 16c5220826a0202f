/* Call-centre (ACD) interval exports → canonical intervals (model/record.h
 * rec_interval). Room: importers.
 *
 * One row per interval and queue. The CSV layer (csv.h) handles gzip, BOM, CRLF and
 * the separator; cells may use decimal commas and the missing markers of value.h.
 *
 * Columns are found by their header (order free, unknown columns ignored). A header
 * is normalised before it is looked up: lower case, ä/ö/ü/ß as ae/oe/ue/ss, runs of
 * blanks and punctuation (_ - . / + : # %) as one blank; a trailing unit in
 * parentheses or brackets is taken off and read ("(s)", "(sec)", "(sek)" seconds,
 * "(min)" minutes, "(h)", "(std)" hours, "(hh:mm:ss)"); a leading "total", "sum",
 * "summe" or "gesamt" (or the same word trailing) is dropped.
 *
 * Totals or averages (the naming rule): a seconds column is an average per answered
 * call when its normalised header starts with "avg", "average", "mean", "ø"/"⌀",
 * "durchschn…", "durchschnittliche", "mittlere" or "mittl", ends with "avg",
 * "average", "per call", "pro anruf", "je anruf" or "durchschnitt", or is one of the
 * abbreviations ATT (talk), AHT (handle), ASA (wait); the importer multiplies an
 * average by the row's answered calls. Every other seconds column is a total over the
 * interval. When a role has both, the total column wins.
 *
 * Roles and the headers they accept (after normalisation; a selection, the full
 * lists are in acd.c):
 *   start      Interval Start, Interval, Start, Intervallbeginn, Intervall, Beginn
 *              — a timestamp (value_time shapes; zone-less stamps in options tz)
 *   date, time Date/Datum with Time/Uhrzeit (or with a start column holding the time
 *              of day): "08:00", "08:00:00" or a range "08:00 - 08:30" whose end
 *              gives the length ("00:00"/"24:00" as end: midnight after)
 *   end        Interval End, Intervallende — the length is end − start
 *   length     Interval Length, Intervalllänge, Dauer — minutes, unless the unit
 *              says otherwise; "H:MM[:SS]" also accepted
 *   queue      Queue, Warteschlange, Skill, Split, Gruppe (optional: "default")
 *   offered    Offered, Angeboten (optional: answered + abandoned)
 *   answered   Answered, Handled, Angenommen, Beantwortet        (required)
 *   abandoned  Abandoned, Aufgelegt, Verloren, Abgebrochen        (required)
 *   answered_within   Answered within SL, Im SL angenommen (service-level answered)
 *   abandoned_within  Abandoned within SL, Im SL aufgelegt
 *   abandoned_short   Short Abandoned, Kurz aufgelegt
 *   threshold  SL Threshold, Schwelle — seconds unless the unit says otherwise
 *   talk, hold, wrap_up   Talk Time/Gesprächszeit, Hold Time/Haltezeit, Wrap Up/ACW/
 *                         Nachbearbeitung
 *   handle     Handle Time, Bearbeitungszeit, AHT (used when there is no talk column)
 *   wait       Answer Wait, Queue Time, Wartezeit, ASA (queue wait of answered calls)
 * Seconds values are a number (decimal comma allowed, scaled by the header's unit)
 * or "H:MM:SS" / "M:SS".
 *
 * Starts without a zone are wall-clock times in options tz. In the hour that repeats
 * when clocks go back, a queue's second row for the same wall-clock time is the
 * second pass of that hour (exports in local time list it twice), not a repeat.
 *
 * Interval length, in this order: the row's end or length column or time range;
 * else options interval_seconds (--interval); else inferred per file from the first
 * ACD_LOOKAHEAD_ROWS good rows (held until it is known): the first length a row
 * states, else the smallest positive gap between consecutive starts of one queue
 * (60 s to 1 day); else 30 minutes.
 *
 * Rows: a row whose fields are all empty, or whose start cell reads "Total",
 * "Totals", "Sum", "Summe" or "Gesamt" (a report's sum line), is skipped silently. A
 * row whose counts and seconds are all missing is an interval without traffic (all
 * counts 0). A missing optional cell is unknown for that interval. Bad rows, reported
 * with file, line and reason and skipped: wrong field count, missing or unreadable
 * start, missing queue cell (when the column exists), a count that is not a whole
 * number or is negative, answered + abandoned > offered, answered_within >
 * answered, abandoned_within or abandoned_short > abandoned, negative or unreadable
 * seconds, threshold not in 1..86400 s, length not in 1 s..1 day, end not after
 * start, the same queue and start twice in the file, a start closer than the
 * interval length to the previous start of the same queue (overlap).
 *
 * Memory: per queue its name and last start, and the set of (queue, start) seen, so
 * a file of n intervals holds O(n) 16-byte keys; records handed to the sink are valid
 * during the callback only. */
#pragma once
#include "core/err.h"
#include "importers/csv.h"
#include "importers/import.h"

#define ACD_LOOKAHEAD_ROWS   1024 /* good rows held to infer the interval length */
#define ACD_DEFAULT_INTERVAL (30 * 60)

/* Reads every record of r (header first) and hands one rec_interval per good row to
 * sink->interval. interval_seconds: the length of rows that do not state one; 0
 * infers it. Returns 0 and *ret_stats (may be NULL; rows, intervals, queues,
 * bad_rows), or a negative code with e set: -EINVAL (no header, a required column
 * missing, too many bad rows, interval_seconds outside 1 s..1 day), -EIO, or a
 * sink's code. */
int acd_import(struct csv_reader *r, const struct import_options *o, int interval_seconds,
               const struct import_sink *sink, struct import_stats *ret_stats, struct lserr *e);
/* Opens path (plain or gzip) with o->sep and imports it. */
int acd_import_file(const char *path, const struct import_options *o, int interval_seconds,
                    const struct import_sink *sink, struct import_stats *ret_stats, struct lserr *e);
