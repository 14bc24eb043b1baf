#!/usr/bin/env node
// The `firedrill` command. The sources are TypeScript, loaded through tsx so there is no build step
// (npm here runs no install scripts, so nothing may depend on a postinstall compile).
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
