#!/usr/bin/env bash
# One-time (idempotent) setup of a fresh machine: the WebGPU software driver, npm packages,
# and the compiled CLI in dist/. Run from anywhere; needs root or sudo for the driver.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-webgpu-driver.sh
# onnxruntime-node (a test reference) must not download binaries at install time.
export ONNXRUNTIME_NODE_INSTALL=skip
if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
npm run build
