/**
 * Curricula: difficulty measures, competence functions (Platanios et al. 2019) and the stage plan
 * of an ordered selected set.
 */
package dev.winnow.selection.curriculum;
