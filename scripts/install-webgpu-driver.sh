#!/usr/bin/env bash
# Installs a software WebGPU adapter for machines without a GPU: Dawn (the `webgpu`
# package) on Mesa's lavapipe. Debian 12 ships Mesa 22, which Dawn refuses, so Mesa 25
# comes from bookworm-backports. Idempotent; needs root (or sudo).
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

if ! grep -q '^ID=debian' /etc/os-release 2>/dev/null; then
  echo "install-webgpu-driver: not Debian; install Mesa >= 24 lavapipe (mesa-vulkan-drivers) and libvulkan1 with your package manager." >&2
  exit 0
fi
codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")
export DEBIAN_FRONTEND=noninteractive
if [ "$codename" = "bookworm" ]; then
  list=/etc/apt/sources.list.d/bookworm-backports.list
  if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    echo 'deb http://deb.debian.org/debian bookworm-backports main' | $SUDO tee "$list" >/dev/null
  fi
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq -t bookworm-backports mesa-vulkan-drivers libvulkan1 >/dev/null
else
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq mesa-vulkan-drivers libvulkan1 >/dev/null
fi
echo "install-webgpu-driver: $(dpkg-query -W -f='mesa-vulkan-drivers ${Version}' mesa-vulkan-drivers)"
