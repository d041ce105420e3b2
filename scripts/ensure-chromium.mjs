#!/usr/bin/env node
// Makes sure Debian's Chromium (/usr/bin/chromium, which also ships SwiftShader for software WebGPU) is
// installed before the end-to-end tests. Exit 0 when it is there or was installed; exit 1 with the exact
// install command otherwise. Never downloads a browser of its own (see /work/shared/TESTING.md).
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const CHROMIUM = '/usr/bin/chromium';
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
const INSTALL_HINT = 'sudo apt-get update && sudo apt-get install -y chromium';

/** Runs a command with its output streamed to ours; returns true when it exits 0. */
function run(command, args) {
  console.log(`ensure-chromium: $ ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (result.error) console.error(`ensure-chromium: ${command} failed to start: ${result.error.message}`);
  return result.status === 0;
}

function chromiumVersion() {
  const result = spawnSync(CHROMIUM, ['--version'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : null;
}

function fail(reason) {
  console.error(`ensure-chromium: ${reason}`);
  console.error(`ensure-chromium: the end-to-end tests need Debian's Chromium at ${CHROMIUM}. Install it with:`);
  console.error(`    ${INSTALL_HINT}`);
  process.exit(1);
}

if (existsSync(CHROMIUM)) process.exit(0);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const isDebian = existsSync('/etc/debian_version') && existsSync('/usr/bin/apt-get');
if (!isDebian) fail(`${CHROMIUM} is missing and this is not a Debian system with apt-get.`);
if (!isRoot) fail(`${CHROMIUM} is missing and installing it needs root.`);

console.log(`ensure-chromium: ${CHROMIUM} is missing; installing Debian's chromium package (takes a few minutes).`);
if (!run('apt-get', ['update'])) fail('apt-get update failed.');
if (!run('apt-get', ['install', '-y', 'chromium'])) fail('apt-get install chromium failed.');

const version = existsSync(CHROMIUM) ? chromiumVersion() : null;
if (!version) fail(`the chromium package installed, but ${CHROMIUM} --version does not run.`);
console.log(`ensure-chromium: installed ${version}`);
if (!existsSync(SWIFTSHADER_ICD)) console.warn(`ensure-chromium: warning: ${SWIFTSHADER_ICD} not found; WebGPU may be unavailable.`);
