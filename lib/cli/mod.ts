/**
 * The command-line kit shared by netkit's commands, the only part of the library that prints or
 * exits: option parsing with GNU-style usage errors (exit 2), seconds and counts, and HOST PORT
 * arguments.
 *
 * @module
 */

export * from "./command_line.ts";
export * from "./host_port_args.ts";
export * from "./run_main.ts";
