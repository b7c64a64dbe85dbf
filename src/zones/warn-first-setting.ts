import type { CameraRulesConfig } from './rules-config.schema.js';
import type { ZoneFault } from './zone-validation.js';
import type { Zone } from './zone.schema.js';

/*
 * Warn-first is on by default for every kind of zone: Pudong art. 15 says "对当事人的违法行为，浦东新区城管执法部门
 * 应当通过短信告知或者语音电话等方式进行劝阻教育，责令及时改正；当事人及时改正且违法行为轻微的，不予处罚", and the Shanghai
 * urban-management enforcement regulation art. 18 para. 2 puts "教育、告诫、引导，并责令其改正" before a penalty.
 * A bureau may still turn it off for a kind or a zone, but only with a recorded reason.
 *
 * These checks run when a camera's rules or zones are saved, not when stored ones are loaded: a config stored
 * off without a reason before the reason existed still loads and judges as it did (off), and its next save must
 * give the reason.
 */

const JUDGED_KINDS = ['no_stall', 'shop_front', 'dumping_spot'] as const;

function hasReason(reason: string | undefined): boolean {
  return typeof reason === 'string' && reason.trim() !== '';
}

const WHY = 'Pudong art. 15 asks the bureau to warn and order correction first';

/** Faults of per-kind defaults that turn warn-first off without a reason. */
export function rulesConfigWarnFirstFaults(config: CameraRulesConfig): string[] {
  return JUDGED_KINDS.flatMap((kind) => {
    const d = config.defaults[kind];
    return d.warnFirst || hasReason(d.warnFirstOffReason)
      ? []
      : [
          `rules config: defaults.${kind}.warnFirst is false without a reason; give defaults.${kind}.warnFirstOffReason (${WHY})`,
        ];
  });
}

/** Faults of zones that turn warn-first off without a reason. */
export function zonesWarnFirstFaults(zones: readonly Zone[]): ZoneFault[] {
  return zones.flatMap((z, i) =>
    z.warnFirst !== false || hasReason(z.warnFirstOffReason)
      ? []
      : [
          {
            zone: z.id || `#${i + 1}`,
            field: 'warnFirstOffReason',
            message: `zone '${z.name || z.id || `#${i + 1}`}': warn-first is turned off without a reason; give warnFirstOffReason (${WHY})`,
          },
        ],
  );
}
