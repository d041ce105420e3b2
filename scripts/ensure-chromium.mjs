#!/usr/bin/env node
// Makes sure the system packages the tests need are installed: Debian's Chromium (/usr/bin/chromium, which
// also ships SwiftShader for software WebGPU) for the end-to-end tests, and the Vulkan loader (libvulkan1)
// through which Dawn reaches SwiftShader for the WebGPU tests in Node, and NumPy for Debian's /usr/bin/python3 (an
// independent reader of exported PEFT adapters). Exit 0 when they are there or were installed; exit 1 with the exact
// install command otherwise. Never downloads a browser of its own.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const CHROMIUM = '/usr/bin/chromium';
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
const VULKAN_LOADERS = ['/usr/lib/x86_64-linux-gnu/libvulkan.so.1', '/usr/lib/aarch64-linux-gnu/libvulkan.so.1', '/usr/lib/libvulkan.so.1'];
const INSTALL_HINT = 'sudo apt-get update && sudo apt-get install -y chromium libvulkan1 python3-numpy';

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

const hasVulkan = () => VULKAN_LOADERS.some((p) => existsSync(p));
const hasNumpy = () => existsSync('/usr/bin/python3') && spawnSync('/usr/bin/python3', ['-c', 'import numpy']).status === 0;
const missing = [
  ...(existsSync(CHROMIUM) ? [] : ['chromium']),
  ...(hasVulkan() ? [] : ['libvulkan1']),
  ...(hasNumpy() ? [] : ['python3-numpy']),
];
if (missing.length === 0) process.exit(0);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const isDebian = existsSync('/etc/debian_version') && existsSync('/usr/bin/apt-get');
if (!isDebian) fail(`${missing.join(' and ')} missing and this is not a Debian system with apt-get.`);
if (!isRoot) fail(`${missing.join(' and ')} missing and installing needs root.`);

console.log(`ensure-chromium: installing Debian's ${missing.join(' ')} (takes a few minutes).`);
if (!run('apt-get', ['update'])) fail('apt-get update failed.');
if (!run('apt-get', ['install', '-y', ...missing])) fail(`apt-get install ${missing.join(' ')} failed.`);
if (!hasVulkan()) fail('libvulkan1 installed, but no libvulkan.so.1 was found.');

const version = existsSync(CHROMIUM) ? chromiumVersion() : null;
if (!version) fail(`the chromium package installed, but ${CHROMIUM} --version does not run.`);
console.log(`ensure-chromium: installed ${version}`);
if (!existsSync(SWIFTSHADER_ICD)) console.warn(`ensure-chromium: warning: ${SWIFTSHADER_ICD} not found; WebGPU may be unavailable.`);
