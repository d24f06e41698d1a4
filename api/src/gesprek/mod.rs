pub mod tijden;
