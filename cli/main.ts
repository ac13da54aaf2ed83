#!/usr/bin/env node
import { runCli } from './run.js';

/** Kept to process wiring: everything a command needs is imported by the command itself. */
runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  get stdin() {
    return process.stdin; // created on first use: --help and verify never touch it
  },
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`trustgate: unexpected error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 3; // never report success on an internal failure
  },
);
