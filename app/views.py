"""The article's view (step 6), and the rest of the example app."""

from decimal import Decimal, InvalidOperation

from asgi_cycle.http import JsonResponse
from asgi_cycle.shortcuts import aget_object_or_404, get_object_or_404, redirect, render
from asgi_cycle.views.decorators.http import require_GET, require_http_methods

from .models import Product


def product_detail(request, id):
    product = get_object_or_404(Product, id=id)
    return render(request, "product_detail.html", {"product": product})


@require_GET
async def product_list(request):
    products = [product async for product in Product.objects.all()]
    return render(request, "product_list.html", {"products": products})


@require_http_methods(["GET", "POST"])
def product_create(request):
    errors = {}
    values = {"name": "", "price": ""}
    if request.method == "POST":
        values = {key: request.POST.get(key, "").strip() for key in values}
        if not values["name"]:
            errors["name"] = "Enter a name."
        elif len(values["name"]) > 100:
            errors["name"] = "Use at most 100 characters."
        try:
            price = Decimal(values["price"])
            if not price.is_finite() or price < 0 or price.as_tuple().exponent < -2:
                raise InvalidOperation
            if price >= Decimal("1e8"):
                raise InvalidOperation
        except InvalidOperation:
            errors["price"] = "Enter a price such as 9.99."
        if not errors:
            product = Product.objects.create(name=values["name"], price=price)
            return redirect("product-detail", id=product.id)
    status = 400 if errors else 200
    return render(
        request, "product_form.html", {"errors": errors, "values": values}, status=status
    )


def _as_json(product):
    return {"id": product.id, "name": product.name, "price": str(product.price)}


@require_GET
async def api_product_list(request):
    return JsonResponse({"products": [_as_json(p) async for p in Product.objects.all()]})


@require_GET
async def api_product_detail(request, id):
    product = await aget_object_or_404(Product, id=id)
    return JsonResponse(_as_json(product))


def home(request):
    return redirect("product-list")
