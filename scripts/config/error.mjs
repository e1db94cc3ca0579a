// The error every config problem is reported with: the file, and each field with what is expected.

export class ConfigError extends Error {
  constructor(file, problems) {
    super(`${file}: ${problems.length == 1 ? problems[0] : '\n  - ' + problems.join('\n  - ')}`);
    this.problems = problems;
  }
}
