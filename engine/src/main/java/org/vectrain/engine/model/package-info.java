/** The one-layer softmax classifier: its parameters and their initialisation. */
package org.vectrain.engine.model;
