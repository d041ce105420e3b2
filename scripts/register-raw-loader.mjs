// `node --import ./scripts/register-raw-loader.mjs ...`: installs raw-loader.mjs (see there).
import { register } from 'node:module';
register('./raw-loader.mjs', import.meta.url);
