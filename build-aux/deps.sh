#!/usr/bin/env bash
# Installs the Debian 12 packages Ambilab needs, only those that are missing.
# Runs apt-get as root, or through sudo for other users.
set -euo pipefail

packages=(
  gcc libc6-dev pkg-config meson ninja-build python3
  libglib2.0-dev libjson-glib-dev
  libfftw3-dev libopenblas-dev liblapacke-dev
  libsndfile1-dev libnetcdf-dev libmysofa-dev libmysofa1
  libcairo2-dev libpango1.0-dev fonts-dejavu-core
  libgtk-4-dev libadwaita-1-dev gettext
  xvfb xauth desktop-file-utils appstream
  portaudio19-dev jackd2 libjack-jackd2-dev
  espeak-ng alsa-utils
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing: ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "error: need root or sudo to install ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
