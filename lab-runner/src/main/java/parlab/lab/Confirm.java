package parlab.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;

/** A yes/no question on the terminal; no answer (no terminal, end of input) means no. */
final class Confirm {
    private Confirm() {
    }

    static boolean ask(String question) {
        System.out.print(question);
        System.out.flush();
        try {
            String answer = new BufferedReader(new InputStreamReader(System.in)).readLine();
            return answer != null && (answer.trim().equalsIgnoreCase("y") || answer.trim().equalsIgnoreCase("yes"));
        } catch (IOException e) {
            return false;
        }
    }
}
