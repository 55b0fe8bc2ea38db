package parlab.stage3.etl;

/** One good line of the input, transformed: the amount in cents and the line's total ({@code amount * quantity}). */
public record Sale(long id, String name, long amountCents, int quantity, long totalCents) {
}
