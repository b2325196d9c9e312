/**
 * Chooses the kernels once per JVM from {@link org.vectrain.engine.kernels.KernelMode}: the Vector API
 * kernels or their scalar twins. In a package of its own because it depends on both implementations, which
 * both depend on the contract: in the contract's package it would close a cycle.
 */
package org.vectrain.engine.kernels.provider;
