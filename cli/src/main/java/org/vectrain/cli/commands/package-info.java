/** One class per vectrain subcommand; each parses its flags and hands the work to the engine. */
package org.vectrain.cli.commands;
