// Which files are tests, by the naming patterns each ecosystem uses, and where they live. Knows paths only.
import { posix } from "node:path";
import type { Family } from "./features";

const testFolders = new Set(["test", "tests", "__tests__", "spec", "specs", "testing"]);

/** The naming pattern that marks `path` as a test ("*.test.*", "test_*.py", "*_test.go", ...), or null. */
export function testFilePattern(path: string, family: Family): string | null {
  const name = posix.basename(path);
  const inTestFolder = posix.dirname(path).split("/").some((segment) => testFolders.has(segment));
  switch (family) {
    case "javascript": {
      const suffix = /\.(test|spec)\.[cm]?[jt]sx?$/.exec(name)?.[1];
      if (suffix) return `*.${suffix}.*`;
      return path.split("/").includes("__tests__") ? "__tests__/*" : null;
    }
    case "python":
      if (/^test_.*\.py$/.test(name)) return "test_*.py";
      return /_test\.py$/.test(name) ? "*_test.py" : null;
    case "go":
      return name.endsWith("_test.go") ? "*_test.go" : null;
    case "rust":
      return inTestFolder ? "tests/*.rs" : null;
    case "java":
      if (/Tests?\.java$/.test(name)) return name.endsWith("Tests.java") ? "*Tests.java" : "*Test.java";
      return /^Test.*\.java$/.test(name) ? "Test*.java" : null;
  }
}

/** "tests folder" when a folder on the path is a test folder (test/, tests/, __tests__/, Java's src/test/), else
 *  "beside sources". */
export function testLocation(path: string): string {
  return posix.dirname(path).split("/").some((segment) => testFolders.has(segment)) ? "tests folder" : "beside sources";
}
