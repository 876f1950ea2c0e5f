// The command table. A new command (run, compare, ...) is a file exporting a Command, listed here.
import { Command } from './command';
import { extractCommand } from './extract';
import { infoCommand } from './info';
import { inferShapesCommand } from './inferShapes';
import { markOutputsCommand } from './markOutputs';
import { printCommand } from './print';
import { runCommand } from './run';
import { compareCommand } from './compare';
import { doctorCommand } from './doctor';
import { diffCommand } from './diff';
import { reduceCommand } from './reduce';

export const COMMANDS: Command[] = [infoCommand, printCommand, markOutputsCommand, extractCommand, inferShapesCommand, runCommand, compareCommand, reduceCommand, diffCommand, doctorCommand];
