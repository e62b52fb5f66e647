// Whether a study can take a booking right now: live, under its quotas, and with a free slot
// in its booking window. A study without capacity is never shown, so nobody is invited to an
// empty calendar. Computed from the same slot code the picker uses, and cached briefly because
// every page view of every product site asks.
import type { Database } from '../db/client.js';
import type { BusyTimeSource } from '../calendars/busy-time.js';
import { defaultRange, studySlots } from './availability.js';
import { SingleFlight } from './single-flight.js';
import type { StudyRow } from './studies.js';

export class CapacityCache {
  private readonly entries = new Map<string, { bookable: boolean; expiresAt: number; workspaceId: string }>();
  /** Told of every change made here, so other caches and other processes hear of it. */
  onChange: (studyId: string) => void = () => {};
  private readonly computing = new SingleFlight<boolean>();

  constructor(
    private readonly db: Database,
    private readonly calendars: BusyTimeSource,
    private readonly ttlMs = 30_000,
  ) {}

  async bookableStudyIds(candidates: StudyRow[], now: Date): Promise<Set<string>> {
    const bookable = new Set<string>();
    for (const study of candidates) {
      const key = `${study.id}:${study.updatedAt.getTime()}`;
      let entry = this.entries.get(key);
      if (!entry || entry.expiresAt <= now.getTime()) {
        const bookable = await this.computing.run(key, async () => (await studySlots(this.db, study, defaultRange(study, now), now, this.calendars)).slots.length > 0);
        entry = { bookable, expiresAt: now.getTime() + this.ttlMs, workspaceId: study.workspaceId };
        this.entries.set(key, entry);
      }
      if (entry.bookable) bookable.add(study.id);
    }
    return bookable;
  }

  /** After a booking or cancellation the study's capacity may have changed. */
  forget(studyId: string): void {
    this.forgetLocally(studyId);
    this.onChange(studyId);
  }

  /** What another process (or a broader change) already announced. */
  forgetLocally(studyId: string): void {
    for (const key of this.entries.keys()) if (key.startsWith(`${studyId}:`)) this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }

  /** Hosts' hours, calendars or settings changed: every study of the workspace may have. */
  forgetWorkspace(workspaceId: string): void {
    for (const [key, entry] of this.entries) if (entry.workspaceId === workspaceId) this.entries.delete(key);
  }
}
