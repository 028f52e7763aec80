#!/usr/bin/env node
// Runs the TypeScript sources through tsx, so that the command needs no build step.
require('tsx/cjs');
require('../cli/main.ts');
