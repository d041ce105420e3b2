// The project's Vite config for benchmarks on the dev server, without file watching and HMR: on a machine where
// files change while a benchmark runs (other work in the same tree), a full page reload would end the run.
import { mergeConfig } from 'vite';
import base from '../vite.config.ts';

export default mergeConfig(base, { server: { hmr: false, watch: null } });
