import fs from 'node:fs';
import path from 'node:path';
import { POLICY_FOLDERS, PolicyKind } from './dto/policy-kind.enum';

/** One published version of a policy: the Markdown file `documents/<kind>/<YYYY-MM-DD>.md`. */
export interface PolicyDocument {
  kind: PolicyKind;
  /** The file's name without `.md`: its publication date, `YYYY-MM-DD`. */
  version: string;
  /** The first `# ` heading of the file. */
  title: string;
  publishedAt: Date;
  markdown: string;
}

/** The documents shipped with the API, next to this file (found from source and from a build alike). */
export const BUNDLED_POLICY_DOCUMENTS = path.join(__dirname, 'documents');

const VERSION_FILE = /^(\d{4}-\d{2}-\d{2})\.md$/;

/**
 * Every version of every policy, read once at start from a folder holding `privacy/` and
 * `cookies/`. A new file is a new version; the newest version of a kind is its current one.
 * A folder without a version of each kind, a misnamed file or a file without a title fails the
 * start with a message that names it (an operator's mistake must not serve a wrong policy).
 */
export class PolicyDocuments {
  private constructor(private readonly byKind: ReadonlyMap<PolicyKind, readonly PolicyDocument[]>) {}

  static load(folder: string): PolicyDocuments {
    const byKind = new Map<PolicyKind, PolicyDocument[]>();
    for (const kind of Object.values(PolicyKind)) {
      const dir = path.join(folder, POLICY_FOLDERS[kind]);
      const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.md')) : [];
      const versions = files.map((file) => readVersion(kind, dir, file)).sort((a, b) => b.version.localeCompare(a.version));
      if (!versions.length) throw new Error(`policy documents: no version of the ${kind} policy in ${dir} (expected YYYY-MM-DD.md)`);
      byKind.set(kind, versions);
    }
    return new PolicyDocuments(byKind);
  }

  /** The newest version of a kind. */
  current(kind: PolicyKind): PolicyDocument {
    return this.versions(kind)[0];
  }

  /** Every version of a kind, newest first. */
  versions(kind: PolicyKind): readonly PolicyDocument[] {
    const versions = this.byKind.get(kind);
    if (!versions?.length) throw new Error(`no ${kind} policy loaded`);
    return versions;
  }

  find(kind: PolicyKind, version: string): PolicyDocument | undefined {
    return this.versions(kind).find((d) => d.version === version);
  }
}

function readVersion(kind: PolicyKind, dir: string, file: string): PolicyDocument {
  const match = VERSION_FILE.exec(file);
  const publishedAt = match ? new Date(`${match[1]}T00:00:00.000Z`) : undefined;
  if (!match || !publishedAt || Number.isNaN(publishedAt.getTime()) || publishedAt.toISOString().slice(0, 10) !== match[1]) {
    throw new Error(`policy documents: ${path.join(dir, file)} is not named after its publication date (YYYY-MM-DD.md)`);
  }
  const markdown = fs.readFileSync(path.join(dir, file), 'utf8');
  const title = /^# +(.+?)\s*$/m.exec(markdown)?.[1];
  if (!title) throw new Error(`policy documents: ${path.join(dir, file)} has no "# " title`);
  return { kind, version: match[1], title, publishedAt, markdown };
}
