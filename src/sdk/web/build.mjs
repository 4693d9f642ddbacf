// Makes dist/journey.js, the <script>-tag build, from journey.mjs: the same code with its `export` keywords
// removed, inside a function that puts the exported functions on window.Journey. No bundler: run
// `node build.mjs` (or `npm run build`) after editing journey.mjs, and commit both; the engine's build copies
// them, and JourneySdkServedTest checks that the two still hold the same code.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';

const here = new URL('.', import.meta.url);
const source = readFileSync(new URL('journey.mjs', here), 'utf8');
const names = [...source.matchAll(/^export function (\w+)/gm)].map((m) => m[1]);
const body = source.replace(/^export \{[^}]*\};\n/gm, '').replace(/^export /gm, '');
const out = `// Journey engine Web SDK ${JSON.parse(readFileSync(new URL('package.json', here), 'utf8')).version}, script-tag build: window.Journey.
// Generated from journey.mjs by build.mjs — edit journey.mjs, then run \`node build.mjs\`.
(function () {
'use strict';
${body}
window.Journey = { ${names.join(', ')}, version: VERSION };
})();
`;
mkdirSync(new URL('dist/', here), { recursive: true });
writeFileSync(new URL('dist/journey.js', here), out);
console.log('dist/journey.js: ' + names.join(', '));
