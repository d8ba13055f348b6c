package sample01;

class Main {
    public static void main(String[] args) {
        Number num = new Number();
        System.out.println("Number is " + num.getNum() + ".");
    }
}
