#!/usr/bin/env bash
# One-time (idempotent) setup of a fresh machine: the WebGPU software driver, Chromium for the
# browser tests, npm packages, and the compiled CLI in dist/. Run from anywhere; needs root or sudo for the driver.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-webgpu-driver.sh
# Headless Chromium for the browser tests (Debian's package: no browser download at run time).
if [ ! -x /usr/bin/chromium ] && command -v apt-get >/dev/null; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
# onnxruntime-node (a test reference) must not download binaries at install time: its postinstall
# (script/install.js) reads ONNXRUNTIME_NODE_INSTALL; without it, on linux/x64 it fetches the CUDA 12
# libraries. An .npmrc key `onnxruntime-node-install=skip` would do the same, but npm warns that it
# does not know that key and will stop passing it on, so the variable it is.
export ONNXRUNTIME_NODE_INSTALL=skip
if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
npm run build
