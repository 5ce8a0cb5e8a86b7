// The layers of docs/architecture.md, checked by `npm run lint:structure` (part of `npm test`).
// Product code: base/, cli/, generators/, supervisor/, client/ (the files `npm run build` ships).
// Test code: *.test.ts, test-*.ts, testing/, testdata/ and fixtures, which the published package leaves out.
const product = '^(base|cli|generators|supervisor|client)/';
const testCode = '(\\.test\\.ts$|(^|/)test-[^/]*\\.ts$|^testing/|/testdata/|/fixtures/)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import circle in product code (type-only imports count): one of the files holds two concerns.',
      from: { path: product, pathNot: testCode },
      to: { circular: true },
    },
    {
      name: 'no-upward-to-cli',
      severity: 'error',
      comment: 'cli/ is the top layer: base/, generators/, supervisor/ and client/ never import it.',
      from: { path: '^(base|generators|supervisor|client)/' },
      to: { path: '^cli/' },
    },
    {
      name: 'base-is-the-bottom',
      severity: 'error',
      comment: 'base/ holds what every layer shares (version, embedded assets, errors, colours): it imports no layer above it.',
      from: { path: '^base/' },
      to: { path: '^(cli|generators|supervisor|client)/' },
    },
    {
      name: 'no-product-to-test-code',
      severity: 'error',
      comment: 'Product code never imports test code: the published dist/ leaves test code out.',
      from: { path: product, pathNot: testCode },
      to: { path: testCode },
    },
    {
      name: 'parts-do-not-import-parts',
      severity: 'error',
      comment: 'A part depends on the part interfaces (supervisor/app/part-types.ts), never on another part.',
      from: { path: '^supervisor/([^/]+)/part\\.ts$' },
      to: { path: '^supervisor/([^/]+)/part\\.ts$', pathNot: '^supervisor/$1/part\\.ts$' },
    },
    {
      name: 'telemetry-does-not-import-control',
      severity: 'error',
      comment: 'The control part reports to telemetry (telemetry/current.ts); telemetry never imports the control plane. What both show lives in supervisor/status/.',
      from: { path: '^supervisor/telemetry/', pathNot: testCode },
      to: { path: '^supervisor/control/' },
    },
    {
      name: 'parts-do-not-import-the-loader',
      severity: 'error',
      comment: 'A part knows the part interfaces only; the loader (supervisor/app/parts.ts) knows the parts.',
      from: { path: '^supervisor/[^/]+/part\\.ts$' },
      to: { path: '^supervisor/app/(parts|app)\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    moduleSystems: ['es6', 'cjs'],
  },
};
