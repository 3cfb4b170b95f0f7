/**
 * Validates OpenAPI 3.1 documents with ajv against the OpenAPI Initiative's schema
 * (fixtures/openapi-3.1, with its license).
 */
import { readFileSync } from 'fs';
import * as path from 'path';
import Ajv2020 from 'ajv/dist/2020';

// ajv resolves the schema's `$dynamicRef: "#meta"` to the wrong schema; without a dialect the
// dynamic anchor is the plain Schema Object definition, so it is referenced directly instead.
const schemaText = readFileSync(path.join(__dirname, '../fixtures/openapi-3.1/schema.json'), 'utf8');
const OAS_SCHEMA = JSON.parse(schemaText.replace(/"\$dynamicRef": "#meta"/g, '"$ref": "#/$defs/schema"'));
let validate: ReturnType<Ajv2020['compile']> | undefined;

/** What makes the document invalid OpenAPI 3.1 (empty when it is valid). */
export function openApiProblems(doc: unknown): string[] {
  validate ??= new Ajv2020({ strict: false, allErrors: true, validateFormats: false }).compile(OAS_SCHEMA);
  return validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}
