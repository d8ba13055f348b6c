package sample01;

public class Number {
    private final int num = 10;

    public int getNum() {
        return num;
    }
}
