// The client's own rules, checked on the syntax tree (tsc cannot forbid these): no type assertions
// (`x as T`, `<T>x`, also `as const`), no `any`, no non-null assertions (`x!`), no @ts-ignore,
// @ts-expect-error or @ts-nocheck. Generated code (src/generated) is not ours and not checked.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";

const root = new URL("../src/", import.meta.url).pathname;
const files = readdirSync(root, { recursive: true })
  .map(String)
  .filter((f) => f.endsWith(".ts") && !f.startsWith("generated"))
  .map((f) => join(root, f));

const problems = [];
for (const file of files) {
  const text = readFileSync(file, "utf8");
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const report = (node, what) => {
    const { line, character } = source.getLineAndCharacterOfPosition(node.getStart(source));
    problems.push(`${relative(process.cwd(), file)}:${line + 1}:${character + 1}: ${what}: ${node.getText(source).slice(0, 80)}`);
  };
  const visit = (node) => {
    if (ts.isAsExpression(node) || ts.isTypeAssertionExpression(node)) report(node, "type assertion");
    if (ts.isNonNullExpression(node)) report(node, "non-null assertion");
    if (node.kind === ts.SyntaxKind.AnyKeyword) report(node, "any");
    ts.forEachChild(node, visit);
  };
  visit(source);
  text.split("\n").forEach((line, i) => {
    if (/@ts-(ignore|expect-error|nocheck)/.test(line)) problems.push(`${relative(process.cwd(), file)}:${i + 1}: ts directive`);
  });
}
if (problems.length > 0) {
  console.error(`rules broken (${problems.length}):\n${problems.join("\n")}`);
  process.exit(1);
}
console.log(`rules ok: ${files.length} files without type assertions, any, non-null assertions or ts directives`);
