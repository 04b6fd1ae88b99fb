// cdx-validate.cjs FILE...: validates CycloneDX 1.6 JSON documents with the
// CycloneDX library's strict JSON validator (the official schema it ships).
// Prints "valid FILE" per file; exits 1 with the schema errors on the first
// invalid one, 2 when the library or its ajv dependencies are missing.
'use strict'
const fs = require('fs')
const path = require('path')
let CDX
try {
	CDX = require(path.join(__dirname, '../../build/npm/node_modules/@cyclonedx/cyclonedx-library'))
} catch (e) {
	console.error('cdx-validate: the CycloneDX library is missing (make test-deps): ' + e.message)
	process.exit(2)
}
async function main () {
	const validator = new CDX.Validation.JsonStrictValidator(CDX.Spec.Version.v1dot6)
	for (const file of process.argv.slice(2)) {
		let errors
		try {
			errors = await validator.validate(fs.readFileSync(file, 'utf8'))
		} catch (e) {
			console.error('cdx-validate: cannot validate ' + file + ': ' + e.message)
			process.exit(e instanceof CDX.Validation.MissingOptionalDependencyError ? 2 : 1)
		}
		if (errors !== null) {
			console.error('cdx-validate: ' + file + ' is not valid CycloneDX 1.6:\n' + JSON.stringify(errors, null, 2))
			process.exit(1)
		}
		console.log('valid ' + file)
	}
}
main()
