/** The one-layer softmax classifier: its parameters, initialisation, and the data sets it reads. */
package org.vectrain.engine.model;
