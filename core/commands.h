/* Commands that parse their own options (getopt_long over argv, argv[0] is
 * the command's name): each lives in core/cmd_<name>.c. They return the exit
 * statuses of run.h (0 ok, 2 bad command line or pipeline, 1 failure). */
#ifndef CM_COMMANDS_H
#define CM_COMMANDS_H

int cm_cmd_staffing(int argc, char **argv); /* core/cmd_staffing.c */
int cm_cmd_analyze(int argc, char **argv);  /* core/cmd_analyze.c */
int cm_cmd_report(int argc, char **argv);   /* core/cmd_report.c */
int cm_cmd_export(int argc, char **argv);   /* core/cmd_export.c */

#endif
