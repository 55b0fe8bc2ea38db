package parlab.stage2.serialization;

import java.io.Serializable;
import java.util.Objects;

/**
 * One weather station reading: the message the codecs of s2e12 send between processes. Plumbing: the same on
 * both sides.
 *
 * @param id          any long, including {@link Long#MIN_VALUE} and {@link Long#MAX_VALUE}
 * @param station     the station's name, any Unicode text (may be empty, never null)
 * @param temperature any double, including NaN, infinities and -0.0 (records compare doubles bit by bit)
 * @param samples     any int
 * @param calibrated  whether the sensor was calibrated
 */
public record Reading(long id, String station, double temperature, int samples, boolean calibrated)
        implements Serializable {
    public Reading {
        Objects.requireNonNull(station, "station");
    }
}
