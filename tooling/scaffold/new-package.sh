#!/usr/bin/env bash
# Creates packages/<name> with the house layout. Usage: tooling/scaffold/new-package.sh <name> "<description>"
set -euo pipefail
name=$1; desc=$2
dir="packages/$name"
mkdir -p "$dir/src" "$dir/test"
# npm puts a package's own LICENSE into its tarball, never the root one.
cp LICENSE "$dir/LICENSE"
cat > "$dir/package.json" <<JSON
{
  "name": "@mcapi/$name",
  "version": "0.0.0",
  "description": "$desc",
  "keywords": ["mastercard", "mastercard-api"],
  "homepage": "https://github.com/mcapi/mcapi/tree/main/packages/$name#readme",
  "bugs": { "url": "https://github.com/mcapi/mcapi/issues" },
  "repository": { "type": "git", "url": "git+https://github.com/mcapi/mcapi.git", "directory": "packages/$name" },
  "license": "MIT",
  "type": "module",
  "sideEffects": false,
  "engines": { "node": ">=20.19" },
  "exports": {
    ".": {
      "@mcapi/source": "./src/index.ts",
      "types": "./dist/index.d.ts",
      "default": "./dist/index.js"
    },
    "./package.json": "./package.json"
  },
  "files": ["dist", "src"],
  "publishConfig": { "access": "public" },
  "scripts": {
    "build": "tsc -p tsconfig.build.json",
    "prepack": "turbo run build --filter=@mcapi/$name",
    "typecheck": "tsc -p tsconfig.json",
    "lint": "biome lint .",
    "publint": "publint --strict",
    "test": "vitest run --passWithNoTests --reporter=default --reporter=json --outputFile.json=.vitest/report.json"
  }
}
JSON
cat > "$dir/tsconfig.json" <<'JSON'
{
  "extends": "../../tsconfig.base.json",
  "compilerOptions": {
    "noEmit": true,
    "customConditions": ["@mcapi/source"]
  },
  "include": ["src", "test", "bench", "vitest.config.ts"]
}
JSON
cat > "$dir/tsconfig.build.json" <<'JSON'
{
  "extends": "../../tsconfig.base.json",
  "compilerOptions": {
    "rootDir": "src",
    "outDir": "dist"
  },
  "include": ["src"]
}
JSON
cat > "$dir/vitest.config.ts" <<JSON
import { mergeConfig } from 'vitest/config';
import { sharedProject } from '../../vitest.shared.js';

export default mergeConfig(sharedProject, { test: { name: '@mcapi/$name' } });
JSON
[ -f "$dir/src/index.ts" ] || printf '// Public API of @mcapi/%s. Filled in by its own issue.\nexport {};\n' "$name" > "$dir/src/index.ts"
