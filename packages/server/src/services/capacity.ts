// Whether a study can take a booking right now: live, under its quotas, and with a free slot
// in its booking window. A study without capacity is never shown, so nobody is invited to an
// empty calendar. Computed from the same slot code the picker uses, and cached briefly because
// every page view of every product site asks. For the studies with a weekly target it also keeps
// the pacing controller's decision (whom to ask, or nobody), as briefly.
import type { Decision } from '@beckon/shared/pacing';
import type { Database } from '../db/client.js';
import type { BusyTimeSource } from '../calendars/busy-time.js';
import { defaultRange, interviewsThatFit, studySlots } from './availability.js';
import { pacingDecisions } from './autopilot.js';
import { SingleFlight } from './single-flight.js';
import type { StudyRow } from './studies.js';
import type { Workspace } from './workspaces.js';

export class CapacityCache {
  /** Interviews the study's booking window can still hold, per study and version. */
  private readonly entries = new Map<string, { free: number; expiresAt: number; workspaceId: string }>();
  private readonly computing = new SingleFlight<number>();
  /** Per workspace: the decisions, and the studies (with versions) and zone they were made for. */
  private readonly decisions = new Map<string, { key: string; decisions: Map<string, Decision>; expiresAt: number }>();
  private readonly deciding = new SingleFlight<Map<string, Decision>>();
  /** Changes heard of per study, and of anything broader, for answers that last only until the next (version). */
  private readonly changes = new Map<string, number>();
  private broadChanges = 0;
  /** Told of every change made here, so other caches and other processes hear of it. */
  onChange: (studyId: string) => void = () => {};

  constructor(
    private readonly db: Database,
    private readonly calendars: BusyTimeSource,
    private readonly ttlMs = 30_000,
  ) {}

  private async freeInterviews(study: StudyRow, now: Date): Promise<number> {
    const key = `${study.id}:${study.updatedAt.getTime()}`;
    let entry = this.entries.get(key);
    if (!entry || entry.expiresAt <= now.getTime()) {
      const free = await this.computing.run(key, async () => {
        const { slots } = await studySlots(this.db, study, defaultRange(study, now), now, this.calendars);
        return interviewsThatFit(slots, study.assignmentMode);
      });
      entry = { free, expiresAt: now.getTime() + this.ttlMs, workspaceId: study.workspaceId };
      this.entries.set(key, entry);
    }
    return entry.free;
  }

  async bookableStudyIds(candidates: StudyRow[], now: Date): Promise<Set<string>> {
    const bookable = new Set<string>();
    for (const study of candidates) if ((await this.freeInterviews(study, now)) > 0) bookable.add(study.id);
    return bookable;
  }

  /** The pacing controller's decision now, for each of these studies that has a weekly target. */
  async pacing(workspace: Workspace, candidates: StudyRow[], now: Date): Promise<Map<string, Decision>> {
    const targeted = candidates.filter((study) => study.weeklyTarget !== null);
    const key = `${workspace.timeZone}|${targeted.map((s) => `${s.id}.${s.updatedAt.getTime()}`).join(',')}`;
    const cached = this.decisions.get(workspace.id);
    if (cached && cached.key === key && cached.expiresAt > now.getTime()) return cached.decisions;
    const decisions = await this.deciding.run(`${workspace.id}|${key}`, async () => {
      const withSlots = [];
      for (const study of targeted) withSlots.push({ study, freeSlots: await this.freeInterviews(study, now) });
      return pacingDecisions(this.db, workspace, withSlots, now);
    });
    this.decisions.set(workspace.id, { key, decisions, expiresAt: now.getTime() + this.ttlMs });
    return decisions;
  }

  /** After a booking or cancellation the study's capacity, and its week, may have changed. */
  forget(studyId: string): void {
    this.forgetLocally(studyId);
    this.onChange(studyId);
  }

  /** What another process (or a broader change) already announced. */
  forgetLocally(studyId: string): void {
    this.changes.set(studyId, (this.changes.get(studyId) ?? 0) + 1);
    for (const key of this.entries.keys()) if (key.startsWith(`${studyId}:`)) this.entries.delete(key);
    this.decisions.clear();
  }

  /** Changes when the study's bookings may have (here, or as another process announced). */
  version(studyId: string): string {
    return `${this.broadChanges}.${this.changes.get(studyId) ?? 0}`;
  }

  clear(): void {
    this.broadChanges += 1;
    this.entries.clear();
    this.decisions.clear();
  }

  /** Hosts' hours, calendars or settings changed: every study of the workspace may have. */
  forgetWorkspace(workspaceId: string): void {
    this.broadChanges += 1;
    for (const [key, entry] of this.entries) if (entry.workspaceId === workspaceId) this.entries.delete(key);
    this.decisions.delete(workspaceId);
  }
}
