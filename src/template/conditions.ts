/** The printing conditions a template may name for its print edition (ICC registry names, https://www.color.org/registry/). */

/** Printing conditions characterised in the ICC registry; a template naming another must give its profile. */
export const REGISTERED_CONDITIONS: Record<string, string> = {
  FOGRA39: 'Coated FOGRA39 (ISO 12647-2:2004)',
  FOGRA51: 'PSO Coated v3 (ISO 12647-2:2013)',
  FOGRA47: 'PSO Uncoated (ISO 12647-2:2004)',
  FOGRA52: 'PSO Uncoated v3 FOGRA52 (ISO 12647-2:2013)',
  JC200103: 'Japan Color 2001 Coated',
  CGATS21_CRPC6: 'GRACoL2013 (CGATS.21-2 CRPC6)',
  'CGATS TR 006': 'SWOP Coated #5 (CGATS TR 006)',
};
export const ICC_REGISTRY = 'http://www.color.org';
