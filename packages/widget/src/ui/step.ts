// What every step of the booking flow gets from App (a type only: no bytes in the bundle).
import type { MountOptions } from '../contract.js';

export interface StepProps {
  o: MountOptions;
  /** Text for the polite live region (errors, changes the participant should hear about). */
  say: (message: string) => void;
}
