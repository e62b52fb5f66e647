import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The projects in the order their files start: the browser suites first (their files are the
 * longest, and the widget's ran last, alone at the end, when vitest ordered projects by name),
 * then the server's many short files, which even out the workers' ends. A worker is kept for the
 * next file only if it is of the same project, so a project's files stay together; within one,
 * vitest's own order (the longest last time first, else the largest).
 */
const PROJECT_ORDER = ['widget', '@beckon/admin', '@beckon/server', '@beckon/shared'];

class BrowserSuitesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (file: TestSpecification) => {
      const index = PROJECT_ORDER.indexOf(file.project.name);
      return index === -1 ? PROJECT_ORDER.length : index;
    };
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}

// One run over every package; each package's own vitest.config.ts describes its suite.
export default defineConfig({
  test: {
    projects: ['packages/*/vitest.config.ts'],
    // Two cores, three workers: much of a test file's time is spent waiting (on a browser, a
    // server, a child process, a timer), so two workers left the cores half idle.
    maxWorkers: 3,
    sequence: { sequencer: BrowserSuitesFirst },
  },
});
