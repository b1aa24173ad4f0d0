#!/usr/bin/env bash
# pnpm pinned to the version in package.json, without corepack (whose signature check fails on some machines).
exec npx -y pnpm@12.4.2 "$@"
