// Validates an OpenAPI document (a file path) against the OpenAPI specification's own JSON schemas, with a validator
// that shares nothing with the server that wrote the document. Prints the version and "valid", or the errors; exit 1.
import { readFile } from 'node:fs/promises';
import { Validator } from '@seriousme/openapi-schema-validator';

const file = process.argv[2];
const document = JSON.parse(await readFile(file, 'utf8'));
const validator = new Validator();
const result = await validator.validate(document);
if (!result.valid) {
  console.log(JSON.stringify(result.errors, null, 2));
  process.exit(1);
}
// Every internal reference ($ref) must resolve too.
validator.resolveRefs();
console.log(`OpenAPI ${validator.version}: valid`);
