/* The subcommands of the gtpclass binary. Each returns the exit status. */
#ifndef GTPC_COMMANDS_H
#define GTPC_COMMANDS_H

int gtpc_cmd_run(int argc, char **argv);
int gtpc_cmd_inspect(int argc, char **argv);
int gtpc_cmd_gen(int argc, char **argv);
int gtpc_cmd_features(int argc, char **argv);
int gtpc_cmd_model(int argc, char **argv);
int gtpc_cmd_counters(int argc, char **argv);
int gtpc_cmd_stats(int argc, char **argv);
int gtpc_cmd_check(int argc, char **argv);
int gtpc_cmd_verdicts(int argc, char **argv);

#endif
