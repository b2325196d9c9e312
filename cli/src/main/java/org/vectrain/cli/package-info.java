/** The vectrain command line: entry point, exit codes and options shared by the subcommands. */
package org.vectrain.cli;
