#!/usr/bin/env node
// Entry of `npx grpo-playground`: runs the TypeScript CLI through tsx (no build step), with `?raw` imports
// of WGSL shaders resolved as Vite does.
import { register as registerTsx } from 'tsx/esm/api';
import { register } from 'node:module';
register('../scripts/raw-loader.mjs', import.meta.url);
registerTsx();
await import('../src/cli/main.ts');
